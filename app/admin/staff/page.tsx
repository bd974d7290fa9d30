import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listStaff } from "@/db/queries/staff";
import { ConfirmAction } from "@/components/admin/ConfirmAction";
import { InviteStaffForm } from "@/components/admin/staff/InviteStaffForm";
import { StaffRoleForm } from "@/components/admin/staff/StaffRoleForm";
import { Badge, Card, CardBody, CardHeader, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { roleLabels, staffRoles } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { changeStaffRoleAction, inviteStaffAction, setStaffActiveAction } from "./actions";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "Staff · Tally Admin" };
export const dynamic = "force-dynamic";

const roleHelp: Record<string, string> = {
  support: "Customers, subscriptions, refunds up to the support limit",
  billing_admin: "Everything billing: credit, voids, manual payments, catalog",
  finance_viewer: "Read-only, plus exports and the audit log",
  super_admin: "Everything, plus staff, settings and API keys",
};

export default async function StaffPage() {
  const me = await requirePageUser("staff.manage");
  const fmt = await consoleFormatter();
  const staff = await listStaff(await getDb());
  const roles = staffRoles.map((r) => ({ value: r, label: roleLabels[r] }));
  return (
    <div className="space-y-6">
      <PageHeader title="Staff" description="Who can use the console and what each role may do. Changes apply at the person's next request." />
      <Card>
        <CardHeader title="Invite a colleague" description="They receive an email with a link to sign in; no password is needed." />
        <CardBody>
          <InviteStaffForm action={inviteStaffAction} roles={roles} />
          <ul className="mt-4 grid gap-1 text-[13px] text-slate-600 sm:grid-cols-2">
            {staffRoles.map((r) => (
              <li key={r}>
                <span className="font-medium text-slate-800">{roleLabels[r]}:</span> {roleHelp[r]}
              </li>
            ))}
          </ul>
        </CardBody>
      </Card>
      <Table caption="Staff accounts">
        <THead>
          <TR>
            <TH>Person</TH>
            <TH>Role</TH>
            <TH>Status</TH>
            <TH>Added</TH>
            <TH align="right">
              <span className="sr-only">Actions</span>
            </TH>
          </TR>
        </THead>
        <TBody>
          {staff.map((s) => {
            const self = s.id === me.id;
            const label = s.name ?? s.email;
            return (
              <TR key={s.id}>
                <TD>
                  <div className="font-medium text-slate-900">
                    {label}
                    {self && <span className="ml-2 text-xs font-normal text-slate-500">(you)</span>}
                  </div>
                  {s.name && <div className="text-xs text-slate-500">{s.email}</div>}
                </TD>
                <TD>
                  {self || s.deactivatedAt ? (
                    roleLabels[s.role]
                  ) : (
                    <StaffRoleForm key={`${s.id}:${s.role}`} action={changeStaffRoleAction} userId={s.id} role={s.role} roles={roles} name={label} />
                  )}
                </TD>
                <TD>
                  {s.deactivatedAt ? (
                    <Badge tone="neutral">Deactivated</Badge>
                  ) : s.emailVerifiedAt ? (
                    <Badge tone="success">Active</Badge>
                  ) : (
                    <Badge tone="info">Invited</Badge>
                  )}
                </TD>
                <TD muted>{fmt.date(s.createdAt, "UTC")}</TD>
                <TD align="right">
                  {!self &&
                    (s.deactivatedAt ? (
                      <ConfirmAction
                        action={setStaffActiveAction}
                        fields={{ userId: s.id, active: "true" }}
                        triggerLabel="Reactivate"
                        title={`Reactivate ${label}?`}
                        body={`They can sign in again as ${roleLabels[s.role]}.`}
                        confirmLabel="Reactivate"
                      />
                    ) : (
                      <ConfirmAction
                        action={setStaffActiveAction}
                        fields={{ userId: s.id, active: "false" }}
                        triggerLabel="Deactivate"
                        title={`Deactivate ${label}?`}
                        body="They are signed out at their next request and can no longer sign in. Their past actions stay in the audit log. You can reactivate them later."
                        confirmLabel="Deactivate"
                        tone="danger"
                      />
                    ))}
                </TD>
              </TR>
            );
          })}
        </TBody>
      </Table>
    </div>
  );
}
