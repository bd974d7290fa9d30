import { headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { assertSameOrigin } from "@/lib/auth/origin";
import type { Permission } from "@/lib/auth/permissions";
import { actorOf, requireUser, type SessionUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/services/context";
import { errorField, log } from "@/lib/observability/logger";

/** What a form's `useActionState` receives back. */
export interface ActionState {
  ok?: boolean;
  message?: string;
  error?: string;
  fieldErrors?: Record<string, string>;
}

/**
 * The one wrapper for server actions: same Origin (a missing Origin is refused too), a session
 * with the permission, input parsed by a zod schema. AppErrors become plain-language messages
 * next to the field they name; anything else is logged and answered generically.
 */
export function validatedAction<S extends z.ZodType, R extends ActionState = ActionState>(
  permission: Permission,
  schema: S,
  run: (input: z.infer<S>, user: SessionUser, ctx: ServiceContext) => Promise<NoInfer<R> | void>,
) {
  const action = async (_previous: R, formData: FormData): Promise<R> => {
    try {
      assertSameOrigin(await headers());
      const user = await requireUser(permission);
      const parsed = schema.safeParse(Object.fromEntries(formData));
      if (!parsed.success) {
        const fieldErrors: Record<string, string> = {};
        for (const issue of parsed.error.issues) fieldErrors[issue.path.join(".")] ??= issue.message;
        return { error: "Please check the highlighted fields.", fieldErrors } as R;
      }
      const ctx: ServiceContext = { db: await getDb(), actor: actorOf(user), now: new Date() };
      return (await run(parsed.data, user, ctx)) ?? ({ ok: true } as R);
    } catch (error) {
      unstable_rethrow(error);
      if (error instanceof AppError) {
        return { error: error.userMessage, fieldErrors: error.param ? { [error.param]: error.userMessage } : undefined } as R;
      }
      log.error({ ...errorField(error) }, "server action failed");
      return { error: "Something went wrong on our side. Nothing was charged; please try again." } as R;
    }
  };
  // The permission travels with the action, so the S2 test can check every action against the table.
  return Object.assign(action, { permission });
}
