// A visible error banner: every GraphQL `errors` entry and every transport failure lands here.

const MAX_SHOWN = 5;
const messages: string[] = [];

export function showError(context: string, message: string): void {
  const text = `${context}: ${message}`;
  // Drop an exact repeat of the newest line (a reconnect loop must not fill the banner).
  if (messages[0] === text) return;
  messages.unshift(text);
  messages.length = Math.min(messages.length, MAX_SHOWN);
  render();
}

export function clearErrors(): void {
  messages.length = 0;
  render();
}

function render(): void {
  const banner = document.getElementById('error-banner');
  const list = document.getElementById('error-list');
  if (!banner || !list) return;
  list.replaceChildren(
    ...messages.map((m) => {
      const li = document.createElement('li');
      li.textContent = m;
      return li;
    }),
  );
  banner.hidden = messages.length === 0;
}
