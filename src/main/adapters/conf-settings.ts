import Conf from 'conf'
import type { SettingsData } from '../core/settings/schema.ts'
import { openSettingsFile, type OpenedSettings, type SettingsFileOptions } from './settings-file.ts'

/** The settings file through `conf` (plain Node: the browser shell and tests). */
export function openConfSettings(options: SettingsFileOptions): OpenedSettings {
  return openSettingsFile((confOptions) => new Conf<SettingsData>(confOptions), options)
}
