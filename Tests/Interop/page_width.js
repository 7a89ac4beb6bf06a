// Run by browser_page.py: waits for the page to fill itself, then reports whether it scrolls sideways.
(async () => {
  const end = Date.now() + 10000;
  while (!document.body.dataset.ready && Date.now() < end) await new Promise(resolve => setTimeout(resolve, 50));
  await new Promise(resolve => setTimeout(resolve, 300));
  return { ready: document.body.dataset.ready || null, scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth };
})()
