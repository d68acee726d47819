// Preloaded into Electronegativity: its translation and release-list downloads go to hosts this
// build cannot reach, and got's retry timers crash newer Node after a timeout. Answer them with an
// immediate failure instead, which Electronegativity already handles ("No connectivity?").
const Module = require('node:module')
const load = Module._load
Module._load = function (request, parent, isMain) {
  if (request === 'got') {
    const offline = () => Promise.reject(new Error('offline'))
    offline.head = offline
    offline.get = offline
    offline.default = offline
    return offline
  }
  return load.call(this, request, parent, isMain)
}
