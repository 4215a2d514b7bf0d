/**
 * The Causeway mark: a three-arched causeway over water. Shared by both logo
 * sizes; drawn in a 40x32 box, in colours that read on the dark sidebar.
 */
export const CausewayMark = () => (
  <>
    <rect x="1" y="8" width="38" height="3.5" rx="1" fill="#7df3e1" />
    <path
      fill="#7df3e1"
      d="M3 11.5H37V22H35A4.33 4.33 0 0 0 26.33 22H24.33A4.33 4.33 0 0 0 15.67 22H13.67A4.33 4.33 0 0 0 5 22H3Z"
    />
    <path
      d="M2 27q3-2 6 0t6 0t6 0t6 0t6 0t6 0"
      fill="none"
      stroke="#4fa3f7"
      strokeWidth="1.75"
      strokeLinecap="round"
    />
  </>
);

/** Logo for the collapsed sidebar. */
export const LogoIcon = () => (
  <svg
    xmlns="http://www.w3.org/2000/svg"
    viewBox="0 0 40 32"
    style={{ height: 28, width: 'auto' }}
    role="img"
    aria-label="Causeway"
  >
    <CausewayMark />
  </svg>
);
