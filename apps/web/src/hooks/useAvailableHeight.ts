import { type RefObject, useEffect, useState } from 'react';

/**
 * The height from the top of `ref` down to the bottom of the window, less `reserve` px (for what
 * follows it), and at least `min`. Used to give a virtual table a fixed scroll height that fills the page.
 */
export function useAvailableHeight(ref: RefObject<HTMLElement | null>, reserve: number, min: number): number {
  const [height, setHeight] = useState(min);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let frame = 0;
    const measure = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const top = el.getBoundingClientRect().top + window.scrollY;
        setHeight(Math.max(min, Math.floor(window.innerHeight - top - reserve)));
      });
    };
    measure();
    window.addEventListener('resize', measure);
    const observer = new ResizeObserver(measure);
    if (el.parentElement) observer.observe(el.parentElement);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('resize', measure);
      observer.disconnect();
    };
  }, [ref, reserve, min]);
  return height;
}
