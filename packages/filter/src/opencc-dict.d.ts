// opencc-js exposes its dictionaries through a "./*" export without type declarations.
declare module 'opencc-js/dict/TSCharacters' {
  /** "traditional simplified[ alternative…]|…" */
  const table: string;
  export default table;
}
