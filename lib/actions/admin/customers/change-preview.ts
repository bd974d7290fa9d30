/** What the plan-change confirmation shows, formatted on the server from the service's own preview. */
export interface ChangePreviewView {
  lines: { description: string; amount: string; proration: boolean }[];
  dueNow: string;
  dueNowMinor: number;
  next: { amount: string; date: string; credit: string | null } | null;
  timing: string;
}
