// The quick exit ("Forlad siden hurtigt", with quick_exit in site.toml): on every page it is
// the first or second Tab stop, and pressing Escape three times leaves for its address. The
// runner (run.mjs) calls quickExitProblems for each page of the keyboard walk when the site has
// the page /skjul-dit-besoeg/, and on fixtures/quick-exit-late/ in its self-test.

/** Problems with the quick exit on the page at `url`; `load(page, url)` is the runner's. */
export async function quickExitProblems(page, url, load) {
  const problems = [];
  await load(page, url);
  const href = await page.evaluate(() => document.querySelector('[data-quick-exit]')?.href ?? null);
  if (href === null) return ['no quick exit link ([data-quick-exit]) on the page'];
  if (!/^https?:\/\//.test(href)) problems.push(`the quick exit leads to ${href}, not to a web address`);
  // 1. The first or second Tab stop.
  let stop = null;
  for (let i = 1; i <= 2 && stop === null; i++) {
    await page.keyboard.press('Tab');
    const on = await page.evaluate(() => document.activeElement?.matches('[data-quick-exit]') ?? false);
    if (on) stop = i;
  }
  if (stop === null) problems.push('the quick exit is not the first or second Tab stop');
  // 2. Escape three times leaves for its address. The request is let through the runner's
  // guard as expected (and aborted there), so no other host is reached.
  await load(page, url);
  page.__log.allow.add(href);
  for (let i = 0; i < 3; i++) await page.keyboard.press('Escape');
  await page.waitForTimeout(300);
  if (!page.__log.expectedOutside.some((u) => u === href)) {
    problems.push('pressing Escape three times does not leave for the quick exit address');
  }
  page.__log.allow.delete(href);
  page.__log.expectedOutside = [];
  return problems;
}

/** Problems when leaving by the quick exit link leaves the page in the history: with the
 *  script, the link replaces the page (`location.replace`), so Back from the exit address goes
 *  to the page before, `firstUrl`, not back to `url`. The exit address is answered here with an
 *  empty page, so no other host is reached. */
export async function quickExitHistoryProblems(page, firstUrl, url, load) {
  await load(page, firstUrl);
  await load(page, url);
  const href = await page.evaluate(() => document.querySelector('[data-quick-exit]')?.href ?? null);
  if (href === null) return ['no quick exit link ([data-quick-exit]) on the page'];
  // Registered after the runner's guard, so it answers this address first.
  const answer = (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!DOCTYPE html><title>Ude</title>' });
  await page.route(href, answer);
  try {
    await Promise.all([page.waitForURL(href, { timeout: 5000 }), page.click('[data-quick-exit]')]);
    await page.goBack({ timeout: 5000 });
    const back = page.url();
    if (back === url) return ['after the quick exit link, Back returns to the page (the history entry is not replaced)'];
    if (back !== firstUrl) return [`after the quick exit link, Back leads to ${back}, not to the page before (${firstUrl})`];
    return [];
  } catch (err) {
    return [`the quick exit link could not be followed: ${err.message.split('\n')[0]}`];
  } finally {
    await page.unroute(href, answer);
  }
}
