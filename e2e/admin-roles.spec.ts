/**
 * S2 in the browser, table-driven over the permission table: for every staff role and every console
 * page, the navigation shows the page exactly when the role may open it, opening it works or is
 * refused with a message, and each refusal is written to the audit log. (Every server action's
 * refusal is covered by tests/security/s2-action-permissions.test.ts.)
 */
import { consoleSections } from "@/lib/admin/nav";
import { can, staffRoles } from "@/lib/auth/permissions";
import type { Role } from "@/db/schema";
import { expect, fixtures, signInAs, test } from "./fixtures";

const pages = consoleSections.flatMap((s) => s.items);

for (const role of staffRoles as Role[]) {
  test(`${role}: the console shows and opens exactly what the permission table allows`, async ({ browser, baseURL }) => {
    const context = await browser.newContext();
    await signInAs(context, role, baseURL!);
    const page = await context.newPage();
    await page.goto("/admin");
    for (const item of pages) {
      const link = page.locator(`nav a[href="${item.href}"]`);
      if (can(role, item.permission)) await expect(link.first(), `${role} sees ${item.label}`).toBeVisible();
      else await expect(link, `${role} does not see ${item.label}`).toHaveCount(0);
    }
    const denied: string[] = [];
    for (const item of pages) {
      await page.goto(item.href);
      if (can(role, item.permission)) {
        await expect(page, `${role} opens ${item.href}`).toHaveURL(new RegExp(`${item.href.replace(/\//g, "\\/")}$`));
        await expect(page.getByText("Your role does not have access to that page.")).toHaveCount(0);
      } else {
        await expect(page, `${role} is refused ${item.href}`).toHaveURL(/\/admin\?denied=1$/);
        await expect(page.getByText("Your role does not have access to that page.")).toBeVisible();
        denied.push(item.permission);
      }
    }
    await context.close();
    if (denied.length === 0) return;
    // Each refusal is in the audit log, attributed to this person.
    const admin = await browser.newContext();
    await signInAs(admin, "super_admin", baseURL!);
    const auditPage = await admin.newPage();
    await auditPage.goto(`/admin/audit?actor=${fixtures().users[role]}&action=permission.denied`);
    for (const permission of new Set(denied)) await expect(auditPage.getByRole("row", { name: new RegExp(permission.replace(".", "\\.")) }).first()).toBeVisible();
    await admin.close();
  });
}
