import '@testing-library/jest-dom';

// The whole suite runs these UI tests beside the backend's integration tests
// on a two-core machine: typing and dialogs can take longer than Jest's 5 s.
jest.setTimeout(30_000);
