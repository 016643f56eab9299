// moment-business-time ships no types; it is imported only for its side effect of patching moment.
declare module 'moment-business-time'
