import { hydrate, mount } from 'svelte'
import { readFirstAnswers } from '../../shared/first-frame.ts'
import App from './App.svelte'
import './app.css'

const target = document.getElementById('app')
if (!target) throw new Error('Latchkey: the page has no #app element.')

// The locale's date data, loaded on another thread while the app starts (see local-time-warmup.ts).
// Nothing waits for it: a worker refused at once (a stricter policy, a shell that serves no workers)
// must not keep the app from mounting, and one that fails later only fires its error.
try {
  if (typeof Worker === 'function') new Worker(new URL('./local-time-warmup.ts', import.meta.url)).onerror = () => undefined
} catch {
  // The first date formatter then loads the data itself, as without the worker.
}

if ('latchkey' in window) {
  const first = readFirstAnswers(document)
  if (first && target.firstChild) {
    // The main process drew the first frame (the list) with these answers: it becomes live as it is.
    hydrate(App, { target, props: { api: window.latchkey, first } })
  } else {
    // No frame drawn: the app draws the list once its first answers are in.
    target.replaceChildren()
    mount(App, { target, props: { api: window.latchkey } })
  }
} else {
  // Opened outside Latchkey's own shells: there is nothing to talk to.
  target.textContent = 'Latchkey cannot reach its main process. Start it with "npm start" or "npm run start:web".'
}
