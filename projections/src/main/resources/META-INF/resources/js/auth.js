// The read token, where vigil asks for one (vigil.require-read-token): typed into the page's token
// form, kept in this tab's sessionStorage only (never localStorage, a cookie or a URL, so it is
// gone when the tab closes and never lands in a log), and sent as an Authorization header.

const KEY = 'vigil.read-token';

const $ = (selector) => document.querySelector(selector);

let pending = null;

/** The headers that carry the token, when one was given. */
export function authorization() {
  const token = sessionStorage.getItem(KEY);
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/**
 * Asks for a token (the server answered 401) and resolves once one is given. A token that was
 * sent and refused is forgotten first. Callers that ask while the form is open share it.
 */
export function requestToken() {
  if (pending === null) {
    const refused = sessionStorage.getItem(KEY) !== null;
    sessionStorage.removeItem(KEY);
    $('#forget-token').hidden = true;
    pending = new Promise((resolve) => {
      const form = $('#token-form');
      $('#token-refused').hidden = !refused;
      form.hidden = false;
      $('#token').focus();
      form.onsubmit = (event) => {
        event.preventDefault();
        const token = $('#token').value.trim();
        if (!token) {
          return;
        }
        sessionStorage.setItem(KEY, token);
        $('#token').value = '';
        form.hidden = true;
        $('#forget-token').hidden = false;
        pending = null;
        resolve();
      };
    });
  }
  return pending;
}

/** Shows "Forget token" while a token is kept; forgetting it reloads the page, which asks again if it must. */
export function initTokenControls() {
  const forget = $('#forget-token');
  forget.hidden = sessionStorage.getItem(KEY) === null;
  forget.addEventListener('click', () => {
    sessionStorage.removeItem(KEY);
    location.reload();
  });
}
