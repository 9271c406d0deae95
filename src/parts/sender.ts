// The script tag's sender file (dist/wiz-klaviyo.sender.js): the send side of delivery, fetched right after start.
import { createSender } from '../delivery/sender.js';
import { registerPart } from './registry.js';

registerPart('sender', createSender);
