import { describe, expect, it } from 'vitest'
import { findJava, javaVersion, MIN_JAVA } from './dist.ts'

describe('the Java Keycloak runs on', () => {
  const found = findJava()

  it.runIf(found !== null)('is 21 or later, and JAVA_HOME is used when it is one', () => {
    if (found === null) return
    expect(found.version).toBeGreaterThanOrEqual(MIN_JAVA)
    expect(javaVersion(`${found.home}/bin/java`)).toBe(found.version)
    expect(findJava({ JAVA_HOME: found.home, PATH: '' }, '/nonexistent')).toEqual(found)
  })

  it('passes over a JAVA_HOME with no usable Java and finds none where there is none', () => {
    expect(findJava({ JAVA_HOME: '/nonexistent', PATH: '' }, '/nonexistent')).toBeNull()
    expect(findJava({ JAVA_HOME: '/nonexistent', PATH: '' })?.home).not.toBe('/nonexistent')
  })
})
