import { CausewayMark } from './LogoIcon';

/** Logo for the expanded sidebar: the mark and the name. */
export const LogoFull = () => (
  <svg
    xmlns="http://www.w3.org/2000/svg"
    viewBox="0 0 172 32"
    style={{ height: 30, width: 'auto' }}
    role="img"
    aria-label="Causeway"
  >
    <CausewayMark />
    <text
      x="48"
      y="23"
      fill="#ffffff"
      fontFamily="Helvetica, Arial, sans-serif"
      fontSize="22"
      fontWeight="700"
      letterSpacing="0.5"
    >
      Causeway
    </text>
  </svg>
);
