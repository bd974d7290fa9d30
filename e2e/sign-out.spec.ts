import { expect, newSubscriber, signInAs, test } from "./fixtures";

test("sign-out ends the session: a cookie saved before it is refused after it, and other people stay signed in", async ({ page, browser, baseURL, tally }) => {
  await newSubscriber(page, tally, { name: "Sid Signout" });
  await page.goto("/billing");
  await expect(page).toHaveURL(/\/billing$/);
  const saved = (await page.context().cookies()).find((c) => c.name === "next-auth.session-token");
  expect(saved, "the session cookie").toBeTruthy();

  // Someone else, signed in elsewhere.
  const other = await browser.newContext({ baseURL });
  const otherPage = await other.newPage();
  await newSubscriber(otherPage, tally, { name: "Olga Other" });

  // Through the real endpoint: the portal's link, then next-auth's confirmation (a POST with its CSRF token).
  await page.getByRole("link", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/api\/auth\/signout/);
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForLoadState("load");
  expect((await page.context().cookies()).find((c) => c.name === "next-auth.session-token")).toBeUndefined();

  // The saved copy of the cookie, replayed in a fresh browser: sent to sign in.
  const replay = await browser.newContext({ baseURL });
  await replay.addCookies([saved!]);
  const replayPage = await replay.newPage();
  await replayPage.goto("/billing");
  await expect(replayPage).toHaveURL(/\/sign-in\?callbackUrl=%2Fbilling/);

  // The other person's session is untouched.
  await otherPage.goto("/billing");
  await expect(otherPage).toHaveURL(/\/billing$/);

  // The demo users' fixture sessions are untouched too.
  const staff = await browser.newContext({ baseURL });
  await signInAs(staff, "support", baseURL!);
  const staffPage = await staff.newPage();
  expect((await staffPage.goto("/admin"))?.status()).toBe(200);
  await expect(staffPage).toHaveURL(/\/admin$/);
  await Promise.all([other.close(), replay.close(), staff.close()]);
});
