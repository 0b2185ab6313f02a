// Streamlit's own interface strings in Swedish (ui/chrome.py). Streamlit 1.67 has no setting for
// the language of its widgets' built-in words (aria-labels, placeholders, the uploader's
// instructions), so they are replaced in the page as they appear. Registered once per page.
(function () {
  if (window.__dashboardChrome) { return; }
  window.__dashboardChrome = true;
  const WORDS = __WORDS__;
  const PATTERNS = __PATTERNS__.map(([re, to]) => [new RegExp(re), to]);
  const ATTRS = ["aria-label", "title", "placeholder", "aria-placeholder", "aria-roledescription"];
  function swedish(text) {
    if (!text) { return null; }
    const key = text.trim();
    if (Object.prototype.hasOwnProperty.call(WORDS, key)) { return text.replace(key, WORDS[key]); }
    for (const [re, to] of PATTERNS) { if (re.test(text)) { return text.replace(re, to); } }
    return null;
  }
  function fix(root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.currentNode; node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) {
        const parent = node.parentElement;
        // our own text (markdown) is never touched, except the label Streamlit puts on the uploader's button
        if (parent && ((parent.closest('[data-testid="stMarkdownContainer"]') && !parent.closest('[data-testid="stFileUploaderDropzone"]'))
                       || parent.closest('script, style, [data-testid="stIconMaterial"]'))) { continue; }
        const out = swedish(node.nodeValue);
        if (out !== null && out !== node.nodeValue) { node.nodeValue = out; }
        continue;
      }
      for (const attr of ATTRS) {
        const value = node.getAttribute && node.getAttribute(attr);
        const out = swedish(value);
        if (out !== null && out !== value) { node.setAttribute(attr, out); }
      }
    }
  }
  const doc = window.parent && window.parent !== window ? window.parent.document : document;
  fix(doc.body);
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.type === "attributes") { fix(change.target); }
      for (const node of change.addedNodes || []) { if (node.nodeType === 1) { fix(node); } else if (node.nodeType === 3 && node.parentElement) { fix(node.parentElement); } }
      if (change.type === "characterData" && change.target.parentElement) { fix(change.target.parentElement); }
    }
  }).observe(doc.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRS });
})();
