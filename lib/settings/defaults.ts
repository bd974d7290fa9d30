/** Defaults for customers who sign up through the portal (the business's home market). */
export const signupDefaults = {
  currency: process.env.TALLY_DEFAULT_CURRENCY ?? "aud",
  timezone: process.env.TALLY_DEFAULT_TIMEZONE ?? "Australia/Sydney",
  country: process.env.TALLY_DEFAULT_COUNTRY ?? "AU",
};

