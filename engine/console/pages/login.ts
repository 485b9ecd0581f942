/** Log in with an API token (kept in an HttpOnly, SameSite=Strict cookie). */
import { html, type Html } from '../html.js';
import { page } from '../layout.js';

export function loginPage(error?: string): Html {
  return page('Log in', null, html`<h1>Log in</h1>
  ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
  <form method="post" action="/console/login">
    <label for="token">API token</label><br>
    <input id="token" name="token" type="password" size="70" autocomplete="off" required autofocus>
    <button type="submit">Log in</button>
  </form>
  <p class="muted">Tokens are issued by an administrator (<code>vigie tokens issue USER</code>). On a first <code>vigie start</code>, an administrator token is written to <code>var/admin.token</code>.</p>`);
}

export function messagePage(title: string, text: string): Html {
  return page(title, null, html`<h1>${title}</h1><p>${text}</p><p><a href="/console/">Alert queue</a></p>`);
}
