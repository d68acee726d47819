import ElectronStore from 'electron-store'
import type { SettingsData } from '../core/settings/schema.ts'
import { openSettingsFile, type OpenedSettings, type SettingsFileOptions } from './settings-file.ts'

/** The settings file through `electron-store` (the Electron shell; `cwd` is `app.getPath('userData')`). */
export function openElectronStoreSettings(options: SettingsFileOptions): OpenedSettings {
  // electron-store takes conf's options, except that the file name is `name` instead of `configName`.
  return openSettingsFile(({ configName, ...rest }) => new ElectronStore<SettingsData>({ ...rest, name: configName }), options)
}
