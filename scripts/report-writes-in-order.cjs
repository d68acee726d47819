// Preloaded into Electronegativity: it writes its CSV report's header and its rows with two
// asynchronous fs.writeFile calls it does not wait for, so the header can land over the first row or
// truncate the rows away. Writes to the report file named in LATCHKEY_ENG_REPORT are done at once,
// in the order they are asked for, and answered on the next tick.
const fs = require('node:fs')
const report = process.env.LATCHKEY_ENG_REPORT
const writeFile = fs.writeFile
fs.writeFile = function (file, data, options, callback) {
  if (report === undefined || file !== report) return writeFile.apply(this, arguments)
  const done = typeof options === 'function' ? options : callback
  let error = null
  try {
    fs.writeFileSync(file, data, typeof options === 'function' ? undefined : options)
  } catch (e) {
    error = e
  }
  if (done) process.nextTick(done, error)
}
