// IndexedDB for happy-dom: fake-indexeddb is a full in-memory implementation.
import 'fake-indexeddb/auto';
