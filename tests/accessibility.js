// Accessible basics of the rendered page: heading levels, control labels and text contrast (WCAG 2 formula).
() => {
  const channels = (colour) => colour.match(/[\d.]+/g).map(Number);
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const c = channels(getComputedStyle(e).backgroundColor);
      if (c.length < 4 || c[3] > 0.5) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const luminance = (rgb) => {
    const [r, g, b] = rgb.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const visible = (e) => e.offsetParent !== null && !e.closest("[aria-hidden='true'], [inert]");  // inert: a closed expander
  const contrast = [];
  for (const element of document.querySelectorAll("p, span, label, li, td, th, h1, h2, h3, h4, a, button")) {
    const ownText = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!ownText || !visible(element) || element.closest("button:disabled")) continue;   // WCAG exempts inactive controls
    const back = background(element);
    const fore = channels(getComputedStyle(element).color);
    const alpha = fore.length > 3 ? fore[3] : 1;
    const mixed = fore.slice(0, 3).map((v, i) => v * alpha + back[i] * (1 - alpha));
    const [light, dark] = [luminance(mixed), luminance(back)].sort((a, b) => b - a);
    contrast.push({ratio: (light + 0.05) / (dark + 0.05), text: element.innerText.slice(0, 40)});
  }
  contrast.sort((a, b) => a.ratio - b.ratio);
  const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].filter(visible)
    .map((h) => ({level: Number(h.tagName[1]), text: h.innerText.trim()}));
  const unlabelled = [...document.querySelectorAll("input, textarea, select, button, [role=spinbutton], [role=combobox]")]
    .filter((e) => visible(e) && e.type !== "hidden")
    .filter((e) => !(e.getAttribute("aria-label") || e.getAttribute("aria-labelledby") || e.title
      || (e.id && document.querySelector(`label[for="${e.id}"]`)) || e.closest("label") || e.innerText.trim()))
    .map((e) => e.outerHTML.slice(0, 120));
  return {lowestContrast: contrast.slice(0, 3), headings, unlabelled};
}
