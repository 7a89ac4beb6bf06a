// Run in /docs by browser_page.py: sends the order book ticker call with its example through the
// page's "try it" form and returns the answer's status and body text.
(async () => {
  const waitFor = async (check, what, ms = 20000) => {
    const end = Date.now() + ms;
    for (;;) {
      const value = check();
      if (value) return value;
      if (Date.now() > end) throw new Error("timed out waiting for " + what + ": " + document.body.innerText.slice(0, 300));
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  };
  await waitFor(() => document.body.dataset.ready, "the calls to render");
  const form = document.querySelector('form[data-operation="ws_futures_get_order_book_ticker"]');
  form.closest("details").open = true;
  const answer = form.querySelector(".answer");
  form.querySelector("button[type=submit]").click();
  await waitFor(() => answer.dataset.status, "the answer");
  answer.scrollIntoView({ block: "center" });
  return { articles: document.querySelectorAll("article").length, status: Number(answer.dataset.status),
           body: (answer.querySelector("pre.body") || {}).textContent || "" };
})()
