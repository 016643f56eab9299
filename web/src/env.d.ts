// Vite bundles the stylesheets the app imports.
declare module '*.css'
