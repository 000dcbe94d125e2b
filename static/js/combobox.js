/*
 * Accessible combobox for a text input (WAI-ARIA 1.2 combobox with a listbox popup,
 * list autocomplete). Progressive enhancement of
 *   <input data-combobox-url="/demande/collectivites/" data-combobox-target="ID">
 * where ID is a hidden input that receives the chosen result's id. Without JavaScript the
 * plain text is posted and matched on the server. The endpoint answers
 * {"results": [{"id", "label", "name", "description", …}]}: an option shows the name and the
 * description (kind, département, population), which tells homonyms apart; choosing it puts
 * the label in the input.
 */

const MIN_LENGTH = 2;
const DEBOUNCE_MS = 250;

// Announcements are translated on the server and handed over as data attributes:
// data-combobox-none, data-combobox-one, data-combobox-many (with "{count}").
function announcement(input, count) {
  const { comboboxNone, comboboxOne, comboboxMany } = input.dataset;
  if (count === 0) return comboboxNone;
  if (count === 1) return comboboxOne;
  return comboboxMany.replace("{count}", count);
}

class Combobox {
  constructor(input) {
    this.input = input;
    this.url = input.dataset.comboboxUrl;
    this.target = document.getElementById(input.dataset.comboboxTarget);
    this.results = [];
    this.activeIndex = -1;
    this.cache = new Map();
    this.timer = null;
    this.controller = null;
    this.lastQuery = null;
    this.build();
    this.bind();
    this.restore();
  }

  // The choice outlives a return to the page (Back from the privacy notice, a reload): the
  // browser restores the other fields, not one with autocomplete="off" nor its hidden id.
  get storageKey() {
    return `combobox:${window.location.pathname}:${this.input.name}`;
  }

  remember(result) {
    try {
      window.sessionStorage.setItem(
        this.storageKey,
        JSON.stringify({ id: result.id, label: result.label }),
      );
    } catch {
      // Storage refused (private mode, quota): the choice is simply not kept.
    }
  }

  forget() {
    try {
      window.sessionStorage.removeItem(this.storageKey);
    } catch {
      // Nothing kept.
    }
  }

  restore() {
    const [navigation] = window.performance.getEntriesByType("navigation");
    if (!navigation || !["back_forward", "reload"].includes(navigation.type)) {
      this.forget(); // a new visit starts afresh
      return;
    }
    if (this.input.value || !this.target) return;
    let saved = null;
    try {
      saved = JSON.parse(window.sessionStorage.getItem(this.storageKey) || "null");
    } catch {
      return;
    }
    if (!saved) return;
    this.input.value = saved.label;
    this.target.value = String(saved.id);
  }

  build() {
    const input = this.input;
    const base = input.id || `combobox-${Math.random().toString(36).slice(2)}`;
    input.id = base;

    const field = document.createElement("div");
    field.className = "fr-input-wrap portal-combobox__field";
    input.parentNode.insertBefore(field, input);
    field.appendChild(input);

    this.listbox = document.createElement("ul");
    this.listbox.id = `${base}-listbox`;
    this.listbox.className = "portal-combobox__listbox";
    this.listbox.setAttribute("role", "listbox");
    this.listbox.hidden = true;
    const label = document.querySelector(`label[for="${CSS.escape(base)}"]`);
    label.id = label.id || `${base}-label`;
    this.listbox.setAttribute("aria-labelledby", label.id);
    field.appendChild(this.listbox);

    this.status = document.createElement("div");
    this.status.id = `${base}-status`;
    this.status.className = "fr-sr-only";
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
    this.status.setAttribute("aria-atomic", "true");
    field.appendChild(this.status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.listbox.id);
    input.setAttribute("autocomplete", "off");
  }

  bind() {
    this.input.addEventListener("input", () => this.onInput());
    this.input.addEventListener("keydown", (event) => this.onKeydown(event));
    this.input.addEventListener("blur", () => this.close());
    // Keep the focus in the input while an option is clicked.
    this.listbox.addEventListener("mousedown", (event) => event.preventDefault());
    this.listbox.addEventListener("click", (event) => {
      const option = event.target.closest('[role="option"]');
      if (option) this.choose(Number(option.dataset.index));
    });
  }

  onInput() {
    if (this.target) this.target.value = "";
    this.forget();
    window.clearTimeout(this.timer);
    const query = this.input.value.trim();
    if (query.length < MIN_LENGTH) {
      this.abort();
      this.lastQuery = null;
      this.render([]);
      this.announce("");
      return;
    }
    this.timer = window.setTimeout(() => this.search(query), DEBOUNCE_MS);
  }

  abort() {
    if (this.controller) this.controller.abort();
    this.controller = null;
  }

  async search(query) {
    this.lastQuery = query;
    let results = this.cache.get(query);
    if (!results) {
      this.abort();
      const controller = new AbortController();
      this.controller = controller;
      const url = new URL(this.url, window.location.href);
      url.searchParams.set("q", query);
      try {
        const response = await fetch(url, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          signal: controller.signal,
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        results = (await response.json()).results || [];
      } catch {
        // Aborted or failed: the typed text is still posted and matched on the server.
        return;
      } finally {
        if (this.controller === controller) this.controller = null;
      }
      this.cache.set(query, results);
    }
    if (query !== this.lastQuery || query !== this.input.value.trim()) return;
    this.render(results);
    this.announce(announcement(this.input, results.length));
  }

  render(results) {
    this.results = results;
    this.activeIndex = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.listbox.replaceChildren(
      ...results.map((result, index) => {
        const option = document.createElement("li");
        option.id = `${this.listbox.id}-option-${index}`;
        option.className = "portal-combobox__option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.index = String(index);
        const name = document.createElement("span");
        name.className = "portal-combobox__label";
        name.textContent = result.name;
        const hint = document.createElement("span");
        hint.className = "portal-combobox__hint";
        hint.textContent = result.description;
        option.append(name, " ", hint);
        return option;
      }),
    );
    if (results.length && document.activeElement === this.input) this.open();
    else this.close();
  }

  announce(message) {
    // Emptied first so that the same count typed twice is announced again.
    this.status.textContent = "";
    if (message) window.setTimeout(() => (this.status.textContent = message), 100);
  }

  open() {
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  }

  close() {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.activate(-1);
  }

  isOpen() {
    return !this.listbox.hidden;
  }

  activate(index) {
    const options = this.listbox.querySelectorAll('[role="option"]');
    options.forEach((option, position) => {
      option.setAttribute("aria-selected", String(position === index));
    });
    this.activeIndex = index;
    if (index < 0 || !options[index]) {
      this.input.removeAttribute("aria-activedescendant");
      return;
    }
    this.input.setAttribute("aria-activedescendant", options[index].id);
    options[index].scrollIntoView({ block: "nearest" });
  }

  move(step) {
    const count = this.results.length;
    if (!count) return;
    if (!this.isOpen()) this.open();
    const start = this.activeIndex < 0 ? (step > 0 ? -1 : count) : this.activeIndex;
    this.activate((start + step + count) % count);
  }

  choose(index) {
    const result = this.results[index];
    if (!result) return;
    this.input.value = result.label;
    if (this.target) {
      this.target.value = String(result.id);
      this.target.dispatchEvent(new Event("change", { bubbles: true }));
    }
    this.remember(result);
    this.lastQuery = null;
    this.close();
    this.input.focus();
  }

  onKeydown(event) {
    if (event.altKey && event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (event.altKey) {
          if (this.results.length) this.open();
        } else {
          this.move(1);
        }
        break;
      case "ArrowUp":
        event.preventDefault();
        if (event.altKey) this.close();
        else this.move(-1);
        break;
      case "Home":
      case "End":
        // With an option active, go to the first or last one; otherwise move the text cursor.
        if (this.isOpen() && this.activeIndex >= 0) {
          event.preventDefault();
          this.activate(event.key === "Home" ? 0 : this.results.length - 1);
        }
        break;
      case "Enter":
        if (this.isOpen() && this.activeIndex >= 0) {
          event.preventDefault();
          this.choose(this.activeIndex);
        }
        break;
      case "Escape":
        if (this.isOpen()) {
          event.preventDefault();
          this.close();
        }
        break;
      default:
        break;
    }
  }
}

function enhance(root = document) {
  root.querySelectorAll("input[data-combobox-url]").forEach((input) => {
    if (input.dataset.comboboxReady) return;
    input.dataset.comboboxReady = "true";
    new Combobox(input);
  });
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", () => enhance());
} else {
  enhance();
}
