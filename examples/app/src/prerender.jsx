// Run at build time (build.mjs): the app's first HTML, so that the page
// shows, and its form posts, before or without JavaScript. The stream is
// read to its end: the form's bound arguments are encoded asynchronously.
import './webpack.js';
import {prerenderToNodeStream} from 'react-dom/static';
import {App} from './App.jsx';

export async function render() {
  const {prelude} = await prerenderToNodeStream(<App />);
  let html = '';
  for await (const chunk of prelude) html += chunk;
  return html;
}
