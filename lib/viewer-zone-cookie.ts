/** The cookie in which a staff member's browser tells the console its time zone (set by <ViewerTimeZone>). */
export const VIEWER_ZONE_COOKIE = "tally_tz";
