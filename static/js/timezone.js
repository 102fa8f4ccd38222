// Sign-up: pre-select the browser's own time zone in a time-zone <select> that still shows its default.
// Without JavaScript the default stays and the member picks the zone by hand.
document.addEventListener("DOMContentLoaded", () => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.querySelectorAll("select[data-guess-timezone]").forEach((select) => {
    const offered = Array.from(select.options).some((option) => option.value === zone);
    if (offered && select.value === select.dataset.guessTimezone) {
      select.value = zone;
    }
  });
});
