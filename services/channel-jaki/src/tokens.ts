/** Nest injection tokens for the plain objects the app module is built with. */
export const PHOTO_STORAGE = Symbol('PHOTO_STORAGE');
export const KNOWN_CATEGORIES = Symbol('KNOWN_CATEGORIES');
export const JAKI_OPTIONS = Symbol('JAKI_OPTIONS');
