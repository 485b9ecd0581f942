export { consoleRoutes } from './routes.js';
export { escapeHtml, html, Html } from './html.js';
