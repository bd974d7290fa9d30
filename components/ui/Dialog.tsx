"use client";

import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { useFormStatus } from "react-dom";
import { Button, type ButtonSize, type ButtonVariant } from "./Button";
import { cn } from "./cn";

export type DialogProps = {
  open: boolean;
  /** Called for Escape, backdrop click and programmatic close. */
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
  tone?: "default" | "danger";
  size?: "sm" | "md" | "lg";
  className?: string;
};

const widths = { sm: "max-w-sm", md: "max-w-md", lg: "max-w-xl" } as const;

/**
 * Modal on the native <dialog>: showModal() gives a focus trap, inert background and
 * Escape for free. On open we focus the element marked `data-autofocus` (else the browser
 * picks the first focusable); on close focus goes back to whatever opened it.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  footer,
  tone = "default",
  size = "md",
  className,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const onCloseRef = useRef(onClose);
  const titleId = useId();
  const descId = useId();

  useEffect(() => {
    onCloseRef.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
      dialog.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const handleClose = () => {
      const target = returnFocus.current;
      returnFocus.current = null;
      if (target?.isConnected) target.focus();
      onCloseRef.current();
    };
    dialog.addEventListener("close", handleClose);
    return () => dialog.removeEventListener("close", handleClose);
  }, []);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descId : undefined}
      onMouseDown={(e) => {
        // The dialog element itself is only hit outside the panel, i.e. on the backdrop.
        if (e.target === e.currentTarget) e.currentTarget.close();
      }}
      className={cn(
        "m-auto w-[calc(100%-2rem)] overflow-visible rounded-xl bg-transparent p-0 text-slate-900",
        widths[size],
        className,
      )}
    >
      <div className="rounded-xl border border-slate-200 bg-white shadow-overlay">
        <div className="flex gap-3 px-5 pt-5 pb-4">
          {tone === "danger" && (
            <span className="flex size-9 shrink-0 items-center justify-center rounded-full bg-danger-100 text-danger-700">
              <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className="size-5">
                <path
                  fillRule="evenodd"
                  d="M8.485 2.495c.673-1.167 2.357-1.167 3.03 0l6.28 10.875c.673 1.167-.17 2.625-1.516 2.625H3.72c-1.347 0-2.189-1.458-1.515-2.625L8.485 2.495ZM10 6a.75.75 0 0 1 .75.75v3.5a.75.75 0 0 1-1.5 0v-3.5A.75.75 0 0 1 10 6Zm0 9a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z"
                  clipRule="evenodd"
                />
              </svg>
            </span>
          )}
          <div className="min-w-0 flex-1">
            <h2 id={titleId} className="text-base font-semibold text-slate-900">
              {title}
            </h2>
            {description && (
              <div id={descId} className="mt-1.5 text-sm leading-relaxed text-slate-600">
                {description}
              </div>
            )}
          </div>
        </div>
        {children}
        {footer && <DialogFooter>{footer}</DialogFooter>}
      </div>
    </dialog>
  );
}

/** Padded content area under the dialog title. */
export function DialogBody({ className, children }: { className?: string; children: ReactNode }) {
  return <div className={cn("space-y-3 px-5 pb-4 text-sm text-slate-700", className)}>{children}</div>;
}

/** Button row at the bottom of a dialog; stacks on narrow screens, primary action first on top. */
export function DialogFooter({ className, children }: { className?: string; children: ReactNode }) {
  return (
    <div
      className={cn(
        "flex flex-col-reverse gap-2 rounded-b-xl border-t border-slate-200 bg-slate-50 px-5 py-3 sm:flex-row sm:justify-end",
        className,
      )}
    >
      {children}
    </div>
  );
}

export type ConfirmDialogProps = {
  /** Label of the Button that opens the dialog. Omit when controlling `open` yourself. */
  triggerLabel?: ReactNode;
  triggerVariant?: ButtonVariant;
  triggerSize?: ButtonSize;
  triggerClassName?: string;
  triggerDisabled?: boolean;
  /** Controlled mode. */
  open?: boolean;
  onOpenChange?: (open: boolean) => void;

  title: ReactNode;
  /** What will happen, in plain words, including the money effect ("You will be refunded $12.00"). */
  body?: ReactNode;
  confirmLabel: ReactNode;
  cancelLabel?: ReactNode;
  tone?: "default" | "danger";

  /**
   * How confirming acts, pick one:
   * - `action`: a server action (or URL) submitted by a form inside the dialog, with `fields` as hidden inputs;
   * - `formId`: submits an existing <form id=…> elsewhere on the page (requestSubmit, so validation runs);
   * - `onConfirm`: a callback; the dialog shows a spinner while its promise is pending.
   */
  action?: string | ((formData: FormData) => void | Promise<void>);
  fields?: Record<string, string | number | undefined | null>;
  formId?: string;
  onConfirm?: () => void | Promise<void>;
  /** Extra form controls shown inside the dialog's form (e.g. a reason field). Only with `action`. */
  children?: ReactNode;
};

export function ConfirmDialog({
  triggerLabel,
  triggerVariant,
  triggerSize = "md",
  triggerClassName,
  triggerDisabled,
  open: openProp,
  onOpenChange,
  title,
  body,
  confirmLabel,
  cancelLabel = "Cancel",
  tone = "default",
  action,
  fields,
  formId,
  onConfirm,
  children,
}: ConfirmDialogProps) {
  const [openState, setOpenState] = useState(false);
  const [pending, setPending] = useState(false);
  const [failed, setFailed] = useState(false);
  const controlled = openProp !== undefined;
  const open = controlled ? openProp : openState;
  const confirmVariant: ButtonVariant = tone === "danger" ? "danger" : "primary";

  const setOpen = (next: boolean) => {
    if (!controlled) setOpenState(next);
    onOpenChange?.(next);
    if (next) setFailed(false);
  };

  const cancelButton = (
    <Button variant="secondary" onClick={() => setOpen(false)} data-autofocus="">
      {cancelLabel}
    </Button>
  );

  let footer: ReactNode;
  let content: ReactNode = failed ? (
    <DialogBody>
      <p role="alert" className="text-danger-700">
        Something went wrong. Please try again.
      </p>
    </DialogBody>
  ) : null;

  if (action !== undefined) {
    const formAction =
      typeof action === "string"
        ? action
        : async (formData: FormData) => {
            await action(formData);
            setOpen(false);
          };
    content = (
      <form action={formAction} method={typeof action === "string" ? "post" : undefined}>
        {fields &&
          Object.entries(fields).map(([key, value]) =>
            value === undefined || value === null ? null : <input key={key} type="hidden" name={key} value={String(value)} />,
          )}
        {children && <DialogBody>{children}</DialogBody>}
        <DialogFooter>
          {cancelButton}
          <SubmitButton variant={confirmVariant}>{confirmLabel}</SubmitButton>
        </DialogFooter>
      </form>
    );
  } else {
    footer = (
      <>
        {cancelButton}
        <Button
          variant={confirmVariant}
          loading={pending}
          onClick={async (event) => {
            if (formId) {
              // Close first (synchronously) so the page is no longer inert and native
              // validation can focus an invalid field of the outer form.
              event.currentTarget.closest("dialog")?.close();
              setOpen(false);
              const form = document.getElementById(formId);
              if (form instanceof HTMLFormElement) form.requestSubmit();
              return;
            }
            if (!onConfirm) return setOpen(false);
            setPending(true);
            setFailed(false);
            try {
              await onConfirm();
              setOpen(false);
            } catch {
              setFailed(true);
            } finally {
              setPending(false);
            }
          }}
        >
          {confirmLabel}
        </Button>
      </>
    );
  }

  return (
    <>
      {triggerLabel !== undefined && (
        <Button
          variant={triggerVariant ?? (tone === "danger" ? "danger" : "primary")}
          size={triggerSize}
          className={triggerClassName}
          disabled={triggerDisabled}
          aria-haspopup="dialog"
          onClick={() => setOpen(true)}
        >
          {triggerLabel}
        </Button>
      )}
      <Dialog
        open={open}
        onClose={() => {
          if (open) setOpen(false);
        }}
        title={title}
        description={body}
        tone={tone}
        footer={footer}
      >
        {content}
      </Dialog>
    </>
  );
}

function SubmitButton({ variant, children }: { variant: ButtonVariant; children: ReactNode }) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" variant={variant} loading={pending}>
      {children}
    </Button>
  );
}
