// Run in /docs by browser_page.py: places a simulated order and cancels it through the page's own
// "try it" forms (filling the body, pressing Send), and returns what the page showed.
(async () => {
  const waitFor = async (check, what, ms = 20000) => {
    const end = Date.now() + ms;
    for (;;) {
      const value = check();
      if (value) return value;
      if (Date.now() > end) throw new Error("timed out waiting for " + what);
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  };
  await waitFor(() => document.body.dataset.ready, "the calls to render");
  const form = operation => document.querySelector(`form[data-operation="${operation}"]`);
  const send = async (operation, body) => {
    const target = form(operation);
    target.closest("details").open = true;
    target.querySelector("textarea").value = JSON.stringify(body, null, 2);
    const answer = target.querySelector(".answer");
    delete answer.dataset.status;
    target.querySelector("button[type=submit]").click();
    await waitFor(() => answer.dataset.status, operation + "'s answer");
    return { status: Number(answer.dataset.status), line: answer.querySelector(".status").textContent,
             headers: (answer.querySelector("pre.headers") || {}).textContent || "",
             body: JSON.parse((answer.querySelector("pre.body") || { textContent: "null" }).textContent) };
  };
  const example = JSON.parse(form("ws_futures_create_order").querySelector("textarea").value);
  const groups = [...document.querySelectorAll("section.group > h2")].map(h => h.textContent);
  const placed = await send("ws_futures_create_order", { ...example, newClientOrderId: "from-the-docs-page" });
  const canceled = await send("ws_futures_cancel_order", { symbol: example.symbol, orderId: placed.body.orderId });
  form("ws_futures_cancel_order").querySelector(".answer").scrollIntoView({ block: "center" });
  return { groups, example, placed, canceled, articles: document.querySelectorAll("article").length };
})()
