// The browser's own time zone, in two places.
// Sign-up: pre-select it in a time-zone <select> that still shows its default.
// Every page: remember it in the "tz" cookie, so the server shows a visitor's times in it (and says so).
// A visitor's first page with times was drawn in UTC; it is drawn again once, in the browser's zone.
// Without JavaScript the default stays: sign-up shows the default zone and a visitor sees UTC, labelled.
document.addEventListener("DOMContentLoaded", () => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone) {
    return;
  }
  document.querySelectorAll("select[data-guess-timezone]").forEach((select) => {
    const offered = Array.from(select.options).some((option) => option.value === zone);
    if (offered && select.value === select.dataset.guessTimezone) {
      select.value = zone;
    }
  });

  const cookie = `tz=${zone}`;  // IANA names (letters, digits, "/", "_", "+", "-") need no escaping
  if (document.cookie.split("; ").includes(cookie)) {
    return;
  }
  document.cookie = `${cookie}; path=/; max-age=31536000; SameSite=Lax`;
  const stored = document.cookie.split("; ").includes(cookie);
  const drawnInUtc = document.body.dataset.timezoneSource === "default"
    && document.querySelector("[data-zone-dependent]") !== null;
  if (stored && drawnInUtc && !sessionStorage.getItem("tz-redrawn")) {
    sessionStorage.setItem("tz-redrawn", "1");
    window.location.reload();
  }
});
