// Escape closes the phone menu (the navbar's sidebar), as it closes any other dialog.
if (typeof document !== 'undefined') {
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !document.querySelector('.navbar-sidebar--show')) return;
    const close = document.querySelector<HTMLButtonElement>('.navbar-sidebar__close');
    close?.click();
    document.querySelector<HTMLButtonElement>('.navbar__toggle')?.focus();
  });
}
