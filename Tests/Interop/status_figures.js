// Run in / by browser_page.py: waits for two refreshes, then returns what the page shows.
(async () => {
  const end = Date.now() + 20000;
  while (Number(document.body.dataset.ready || 0) < 2 && Date.now() < end) await new Promise(resolve => setTimeout(resolve, 100));
  const text = id => { const node = document.getElementById(id); return node ? node.textContent : null; };
  const calls = {};
  for (const cell of document.querySelectorAll("#calls td.mono")) {
    const name = cell.textContent;
    calls[name] = { count: text("call-count-" + name), errors: text("call-errors-" + name), p99: text("call-p99-" + name) };
  }
  const points = id => Number(document.getElementById(id).dataset.points || 0);
  return {
    refreshes: Number(document.body.dataset.ready || 0), state: text("state"), requestsTotal: text("requests-total"),
    connects: text("connects"), local429: text("local-429"), p50: text("p50"), restProtocol: text("rest-protocol"),
    usedWeight: text("used-request_weight-1m"), limitWeight: text("limit-request_weight-1m"), calls,
    errorRequestIds: [...document.querySelectorAll("#errors .request-id")].map(node => node.textContent),
    chartPoints: { rate: points("chart-rate"), latency: points("chart-latency"), limits: points("chart-limits") },
    connection: [...document.querySelectorAll("#connection li")].map(node => node.textContent),
    paperShown: !document.getElementById("paper").classList.contains("hidden"), wallet: text("paper-wallet"),
    openOrderIds: [...document.querySelectorAll("#open-orders tr[data-order-id]")].map(node => node.dataset.orderId),
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
  };
})()
