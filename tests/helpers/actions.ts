import type { Locator, Page } from 'playwright-core';

/**
 * A user's actions on a page, counted as issue 16 counts them: every click or tap, every key press, every file
 * dialog, and typing one field (or one scanner line) as one. Tests drive the page only through this, so the
 * count is the flow, not a guess; `log` says what each action was when a count is off.
 */
export const countActions = (page: Page) => {
  const log: string[] = [];
  const note = (what: string) => log.push(what);
  return {
    log,
    get count() {
      return log.length;
    },
    /** One click (mouse) or tap (touch screen). */
    click: async (target: Locator, what = String(target)) => {
      note(`click ${what}`);
      await target.click();
    },
    tap: async (target: Locator, what = String(target)) => {
      note(`tap ${what}`);
      await target.tap();
    },
    /** One key or chord (Enter, Tab, Alt+T). */
    press: async (key: string) => {
      note(`key ${key}`);
      await page.keyboard.press(key);
    },
    /** Typing into the focused field: one action, however long the text. */
    type: async (text: string, what = 'field') => {
      note(`type ${what}`);
      await page.keyboard.type(text);
    },
    /** Putting the finger or mouse in a field and typing it: one action. */
    fill: async (target: Locator, text: string, what = String(target)) => {
      note(`fill ${what}`);
      await target.fill(text);
    },
    /** One OS file dialog, however many files are chosen in it. */
    files: async (input: Locator, files: Parameters<Locator['setInputFiles']>[0], what = 'files') => {
      note(`file dialog ${what}`);
      await input.setInputFiles(files);
    },
    /** Something done outside the page (the print dialog's Print button): counted, not driven. */
    outside: (what: string) => note(what),
  };
};

export type ActionCounter = ReturnType<typeof countActions>;
