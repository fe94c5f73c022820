// A page that throws shows its error instead of blanking the whole window; navigating away recovers.
import { Component, type ReactNode } from 'react';

export class ErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override componentDidUpdate(prev: { resetKey: string }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }
  override render() {
    if (this.state.error)
      return (
        <div className="error-note" role="alert">
          This page failed: {this.state.error.message}
        </div>
      );
    return this.props.children;
  }
}
