import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';

/** `search` without its `token` parameter: "?token=abc&x=1" → "?x=1", "?token=abc" → "". */
export function searchWithoutToken(search: string): string {
  const params = new URLSearchParams(search);
  params.delete('token');
  const rest = params.toString();
  return rest ? `?${rest}` : '';
}

/**
 * The `token` of a mailed link (`/verify-email?token=…`, `/reset-password?token=…`): read once,
 * kept in memory, and removed from the address bar by a history replace (react-router's
 * `navigate(…, { replace: true })`, i.e. `history.replaceState`) so it lingers in no history
 * entry, bookmark or screenshot. '' when the link has no token.
 */
export function useLinkToken(): string {
  const location = useLocation();
  const navigate = useNavigate();
  const fromUrl = new URLSearchParams(location.search).get('token');
  const [token, setToken] = useState(fromUrl ?? '');

  useEffect(() => {
    if (fromUrl === null) return;
    setToken(fromUrl);
    navigate(
      { pathname: location.pathname, search: searchWithoutToken(location.search), hash: location.hash },
      { replace: true, state: location.state },
    );
  }, [fromUrl, location, navigate]);

  return token;
}
