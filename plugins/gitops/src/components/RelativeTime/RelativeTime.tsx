import { relativeTime } from './relativeTime';

/** "3 hours ago", with the exact ISO time on hover. */
export function RelativeTime(props: { time: string }) {
  const { time } = props;
  return (
    <time dateTime={time} title={time}>
      {relativeTime(time)}
    </time>
  );
}
