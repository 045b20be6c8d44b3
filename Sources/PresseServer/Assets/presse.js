// Progressive only: the page works without it. A change of language or order searches
// again at once (without JavaScript, the Search button does).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.search");
  if (!form) return;
  for (const select of form.querySelectorAll("select")) {
    select.addEventListener("change", () => {
      if (form.querySelector("#q").value.trim() !== "") form.submit();
    });
  }
});
