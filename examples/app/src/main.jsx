// The browser entry: the webpack globals first (React's client reads them
// when it loads), then the app, hydrated over the prerendered page.
import './webpack.js';
import {hydrateRoot} from 'react-dom/client';
import {App} from './App.jsx';

hydrateRoot(document.getElementById('root'), <App />);
