"use client";

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { cn } from "./cn";

export type ToastTone = "neutral" | "success" | "warning" | "danger";

export type ToastOptions = {
  title: string;
  description?: string;
  tone?: ToastTone;
  /** Milliseconds before auto-dismiss; danger toasts stay longer by default. */
  duration?: number;
};

type ToastItem = Required<Pick<ToastOptions, "title" | "tone" | "duration">> & {
  id: number;
  description?: string;
};

type ToastContextValue = { toast: (options: ToastOptions) => void; dismiss: (id: number) => void };

const ToastContext = createContext<ToastContextValue | null>(null);

const MAX_VISIBLE = 4;

/**
 * Holds the toast queue and renders one polite live region. The region is always in the
 * DOM so screen readers announce toasts added later. Toasts pause while hovered or focused.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => {
    setItems((current) => current.filter((t) => t.id !== id));
  }, []);

  const toast = useCallback((options: ToastOptions) => {
    const tone = options.tone ?? "neutral";
    const item: ToastItem = {
      id: nextId.current++,
      title: options.title,
      description: options.description,
      tone,
      duration: options.duration ?? (tone === "danger" ? 8000 : 5000),
    };
    setItems((current) => [...current, item].slice(-MAX_VISIBLE));
  }, []);

  const value = useMemo(() => ({ toast, dismiss }), [toast, dismiss]);

  return (
    <ToastContext.Provider value={value}>
      {children}
      <ToastViewport items={items} onDismiss={dismiss} />
    </ToastContext.Provider>
  );
}

/** `const { toast } = useToast(); toast({ title: "Saved", tone: "success" })`. Requires a ToastProvider above. */
export function useToast(): ToastContextValue {
  const ctx = useContext(ToastContext);
  if (!ctx) throw new Error("useToast() must be used inside <ToastProvider>");
  return ctx;
}

function ToastViewport({ items, onDismiss }: { items: ToastItem[]; onDismiss: (id: number) => void }) {
  return (
    <div
      aria-live="polite"
      aria-relevant="additions text"
      aria-label="Notifications"
      role="region"
      className="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex flex-col items-center gap-2 p-4 sm:inset-x-auto sm:right-0 sm:items-end"
    >
      {items.map((item) => (
        <ToastCard key={item.id} item={item} onDismiss={onDismiss} />
      ))}
    </div>
  );
}

const toneStyles: Record<ToastTone, { accent: string; icon: ReactNode }> = {
  neutral: {
    accent: "text-brand-600",
    icon: <path d="M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm.75-11.25a.75.75 0 1 1-1.5 0 .75.75 0 0 1 1.5 0ZM9.25 9.5a.75.75 0 0 1 1.5 0v4a.75.75 0 0 1-1.5 0v-4Z" />,
  },
  success: {
    accent: "text-success-600",
    icon: <path d="M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm3.86-9.81a.75.75 0 0 0-1.22-.88l-3.24 4.5-1.6-1.6a.75.75 0 1 0-1.06 1.06l2.22 2.22a.75.75 0 0 0 1.14-.09l3.76-5.21Z" />,
  },
  warning: {
    accent: "text-warning-600",
    icon: <path d="M8.49 2.5c.67-1.17 2.35-1.17 3.02 0l6.28 10.87c.68 1.17-.17 2.63-1.51 2.63H3.72c-1.34 0-2.19-1.46-1.51-2.63L8.49 2.5ZM10 6a.75.75 0 0 0-.75.75v3.5a.75.75 0 0 0 1.5 0v-3.5A.75.75 0 0 0 10 6Zm0 9a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z" />,
  },
  danger: {
    accent: "text-danger-600",
    icon: <path d="M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16ZM8.28 7.22a.75.75 0 0 0-1.06 1.06L8.94 10l-1.72 1.72a.75.75 0 1 0 1.06 1.06L10 11.06l1.72 1.72a.75.75 0 1 0 1.06-1.06L11.06 10l1.72-1.72a.75.75 0 0 0-1.06-1.06L10 8.94 8.28 7.22Z" />,
  },
};

function ToastCard({ item, onDismiss }: { item: ToastItem; onDismiss: (id: number) => void }) {
  const [paused, setPaused] = useState(false);
  const remaining = useRef(item.duration);

  useEffect(() => {
    if (paused) return;
    const started = Date.now();
    const timer = window.setTimeout(() => onDismiss(item.id), remaining.current);
    return () => {
      window.clearTimeout(timer);
      remaining.current = Math.max(1000, remaining.current - (Date.now() - started));
    };
  }, [paused, item.id, onDismiss]);

  const style = toneStyles[item.tone];
  return (
    <div
      onMouseEnter={() => setPaused(true)}
      onMouseLeave={() => setPaused(false)}
      onFocus={() => setPaused(true)}
      onBlur={() => setPaused(false)}
      className="pointer-events-auto flex w-full max-w-sm animate-toast-in items-start gap-3 rounded-lg border border-slate-200 bg-white p-3.5 shadow-overlay"
    >
      <svg viewBox="0 0 20 20" fill="currentColor" fillRule="evenodd" clipRule="evenodd" aria-hidden="true" className={cn("mt-px size-5 shrink-0", style.accent)}>
        {style.icon}
      </svg>
      <div className="min-w-0 flex-1">
        <p className="text-sm font-medium text-slate-900">{item.title}</p>
        {item.description && <p className="mt-0.5 text-sm text-slate-600">{item.description}</p>}
      </div>
      <button
        type="button"
        onClick={() => onDismiss(item.id)}
        className="-m-1 rounded-md p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-800"
      >
        <span className="sr-only">Dismiss notification</span>
        <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className="size-4">
          <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
        </svg>
      </button>
    </div>
  );
}

export type FlashToastProps = {
  /** The message to show, typically from `searchParams.notice`. Nothing happens when empty. */
  message?: string | null;
  /** Optional second line. */
  description?: string;
  tone?: ToastTone;
  /**
   * Query parameter to strip from the URL after showing, so a reload or back-navigation does not
   * repeat the toast. Pass null to keep the URL untouched.
   */
  param?: string | null;
};

/**
 * Shows one toast for a server redirect such as `/invoices?notice=Payment+received`.
 * Render it anywhere under a ToastProvider (PortalShell and AdminShell include one).
 */
export function FlashToast(props: FlashToastProps) {
  const ctx = useContext(ToastContext);
  // Degrade gracefully when a page forgot the provider: bring a private one.
  if (!ctx) {
    return (
      <ToastProvider>
        <FlashToastEffect {...props} />
      </ToastProvider>
    );
  }
  return <FlashToastEffect {...props} />;
}

function FlashToastEffect({ message, description, tone = "success", param = "notice" }: FlashToastProps) {
  const { toast } = useToast();
  const shown = useRef<string | null>(null);

  useEffect(() => {
    if (!message || shown.current === message) return;
    shown.current = message;
    toast({ title: message, description, tone });
    if (param) {
      const url = new URL(window.location.href);
      if (url.searchParams.has(param)) {
        url.searchParams.delete(param);
        window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
      }
    }
  }, [message, description, tone, param, toast]);

  return null;
}
