/** Types for fixtures.js (plain JS so that bench/ can share it). */
export declare const FIXTURES: string;
export declare const STYLES: string;
export declare function fixturePath(name: string): string;
export declare function styleNames(): string[];
export declare function fixtureNames(): string[];
