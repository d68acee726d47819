import { mount } from 'svelte'
import App from './App.svelte'
import './app.css'

const target = document.getElementById('app')
if (!target) throw new Error('Latchkey: the page has no #app element.')

// The locale's date data, loaded on another thread while the app starts (see local-time-warmup.ts).
if (typeof Worker === 'function') new Worker(new URL('./local-time-warmup.ts', import.meta.url)).onerror = () => undefined

if ('latchkey' in window) {
  mount(App, { target, props: { api: window.latchkey } })
} else {
  // Opened outside Latchkey's own shells: there is nothing to talk to.
  target.textContent = 'Latchkey cannot reach its main process. Start it with "npm start" or "npm run start:web".'
}
