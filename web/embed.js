/* The climate-programme tracker's embed helper, served by the app at /embed.js.
 * The city's page includes it after the iframe the embed builder gives:
 *   <iframe src="https://APP/view?embed=true&lang=fi" title="…" style="width:100%;height:900px;border:0"></iframe>
 *   <script src="https://APP/embed.js" async></script>
 * The embedded page posts its height whenever it changes; this script sets the
 * iframe's height to it, so the resident never scrolls inside a scroll. It
 * listens only to messages from the app's own origin and from one of the app's
 * iframes on this page. Without it the iframe keeps its height and scrolls inside. */
(() => {
  const script = document.currentScript;
  if (!script) return;
  const appOrigin = new URL(script.src).origin;
  const fromApp = (frame) => {
    try { return new URL(frame.src, location.href).origin === appOrigin; } catch (e) { return false; }
  };
  window.addEventListener("message", (event) => {
    if (event.origin !== appOrigin) return;
    const data = event.data;
    if (!data || data.type !== "tracker:height" || !Number.isFinite(data.height)) return;
    const frame = [...document.querySelectorAll("iframe")].find((f) => f.contentWindow === event.source && fromApp(f));
    if (!frame) return;
    frame.style.height = Math.max(150, Math.min(Math.round(data.height), 100000)) + "px";
  });
  // A frame that loaded before this (async) script listened has posted its height to
  // nobody: ask every app frame for it again now.
  for (const frame of document.querySelectorAll("iframe")) {
    if (fromApp(frame) && frame.contentWindow) frame.contentWindow.postMessage({type: "tracker:height?"}, appOrigin);
  }
})();
