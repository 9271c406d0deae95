// Log in, sign up and account views. Instead of data-wk-identify forms, the SPA reports the buyer with
// wizshop:customer:login (log in) or wizshop:customer:signup (sign up) once the (pretend) server has accepted the form.
import { el, fieldValue } from '../dom.js';
import { navigate } from '../router.js';
import { customerLoggedIn, customerSignedUp } from '../shop-events.js';
import { clearAccount, readAccount, saveAccount } from '../state.js';

const field = (label, attributes) => el('label', {}, [`${label} `, el('input', { type: 'text', ...attributes })]);

function signIn(form, kind) {
  const email = fieldValue(form, 'email');
  const previous = readAccount();
  const known = previous?.email === email ? previous : {};
  const account = {
    email,
    firstName: fieldValue(form, 'firstName') || known.firstName || '',
    lastName: fieldValue(form, 'lastName') || known.lastName || '',
    phone: fieldValue(form, 'phone') || known.phone || '',
  };
  saveAccount(account);
  const buyer = { email: account.email };
  if (account.firstName) buyer.firstName = account.firstName;
  if (account.lastName) buyer.lastName = account.lastName;
  if (account.phone) buyer.phone = account.phone;
  if (kind === 'signup') customerSignedUp(buyer);
  else customerLoggedIn(buyer);
  navigate('/spa/account');
}

/** kind: 'login' or 'signup', which event reports the buyer. */
function authForm(kind, children) {
  const form = el('form', { class: 'auth-form' }, children);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    signIn(form, kind);
  });
  return form;
}

export function loginView() {
  return {
    title: 'Log in',
    nodes: [
      el('h1', { text: 'Log in' }),
      authForm('login', [
        field('Email', { type: 'email', name: 'email', autocomplete: 'email', required: true }),
        field('Password', { type: 'password', name: 'password', autocomplete: 'current-password', required: true }),
        el('button', { type: 'submit', class: 'primary', text: 'Log in' }),
      ]),
      el('p', {}, ['New here? ', el('a', { href: '/spa/signup', text: 'Create an account' }), '.']),
      el('p', { class: 'muted', text: 'Demo store: any email and password will do.' }),
    ],
  };
}

export function signupView() {
  return {
    title: 'Create an account',
    nodes: [
      el('h1', { text: 'Create an account' }),
      authForm('signup', [
        el('div', { class: 'field-row' }, [
          field('First name', { name: 'firstName', autocomplete: 'given-name', required: true }),
          field('Last name', { name: 'lastName', autocomplete: 'family-name', required: true }),
        ]),
        field('Email', { type: 'email', name: 'email', autocomplete: 'email', required: true }),
        field('Phone (optional)', { type: 'tel', name: 'phone', autocomplete: 'tel', placeholder: '+49 151 23456789' }),
        field('Password', {
          type: 'password',
          name: 'password',
          autocomplete: 'new-password',
          required: true,
          minlength: 8,
        }),
        el('button', { type: 'submit', class: 'primary', text: 'Create account' }),
      ]),
      el('p', {}, ['Already have an account? ', el('a', { href: '/spa/login', text: 'Log in' }), '.']),
    ],
  };
}

export function accountView() {
  const account = readAccount();
  if (!account) {
    return {
      title: 'Your account',
      nodes: [
        el('h1', { text: 'Your account' }),
        el('p', {}, [
          'You are not logged in. ',
          el('a', { href: '/spa/login', text: 'Log in' }),
          ' or ',
          el('a', { href: '/spa/signup', text: 'create an account' }),
          '.',
        ]),
      ],
    };
  }
  const logout = el('button', { type: 'button', text: 'Log out' });
  logout.addEventListener('click', () => {
    clearAccount();
    // Logging out is not something auto-tracking can see: tell the SDK to forget the buyer.
    window.wizKlaviyo.push(['reset']);
    navigate('/spa/');
  });
  const name = [account.firstName, account.lastName].filter(Boolean).join(' ');
  return {
    title: 'Your account',
    nodes: [
      el('h1', { text: 'Your account' }),
      el('p', { text: `Logged in as ${name ? `${name} <${account.email}>` : account.email}.` }),
      account.phone ? el('p', { class: 'muted', text: `Phone: ${account.phone}` }) : null,
      el('p', {}, [el('a', { href: '/spa/', text: 'Continue shopping' })]),
      logout,
    ],
  };
}
