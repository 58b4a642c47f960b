// A client component that Rust's Server Component tree names (an `I` row).
export function Greeting({name, from}) {
  return (
    <p id="rsc-greeting">
      Hello, {name}! This paragraph is a client component; its props came from {from}.
    </p>
  );
}
