import type { StoreFaultKind } from '../store/faults';

export type FaultLang = 'zh-CN' | 'en';

/** The language for sentences printed by the CLI and the host: Chinese when the system's locale is Chinese. */
export function systemLang(env: NodeJS.ProcessEnv = process.env): FaultLang {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh/i.test(locale) ? 'zh-CN' : 'en';
}

const SENTENCES: Record<FaultLang, Record<StoreFaultKind, (where: string) => string>> = {
  'zh-CN': {
    damaged: (p) => `数据文件已损坏：${p}。请用“jiedai backups restore --newest”从最新的自动备份恢复，或打开接待按提示处理。`,
    full: (p) => `磁盘已满，无法写入数据文件夹 ${p}。请清理磁盘空间后重试。`,
    read_only: (p) => `数据文件夹 ${p} 是只读的，无法保存数据。请换一个可写的文件夹（--data-dir），或取消它的只读设置。`,
    permission: (p) => `没有权限使用数据文件夹 ${p}。请检查它的访问权限，或换一个文件夹（--data-dir）。`,
    not_a_folder: (p) => `${p} 不是文件夹，无法作为数据文件夹。请用 --data-dir 指定一个文件夹。`,
  },
  en: {
    damaged: (p) => `The data file is damaged: ${p}. Restore the newest automatic backup with "jiedai backups restore --newest", or open Jiedai and choose there.`,
    full: (p) => `The disk is full: nothing can be written to the data folder ${p}. Free some space and try again.`,
    read_only: (p) => `The data folder ${p} is read-only, so nothing can be saved. Choose a folder you can write to (--data-dir), or make it writable.`,
    permission: (p) => `Jiedai has no permission to use the data folder ${p}. Check its permissions, or choose another folder (--data-dir).`,
    not_a_folder: (p) => `${p} is not a folder, so it cannot hold Jiedai's data. Name a folder with --data-dir.`,
  },
};

/** One sentence saying what is wrong with the data folder and what to do, for a terminal or a dialog. */
export function faultSentence(kind: StoreFaultKind, where: string, lang: FaultLang = systemLang()): string {
  return SENTENCES[lang][kind](where);
}
