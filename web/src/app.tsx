/**
 * The dashboard: sign in with an API token (POST /auth/session opens a session cookie, the same
 * sessions the API knows), then the views the caller's role may see, routed by the URL's hash.
 */
import type { JSX } from 'preact'
import { useEffect, useState } from 'preact/hooks'

import type { Principal, Role } from './api'
import { api, ApiError } from './api'
import { LeadPage } from './lead-page'
import { ManagerView } from './manager-view'
import { Failure, Loading } from './parts'
import { RepView } from './rep-view'

/**
 * The report views carry the chart library (or are seldom opened): loaded only when opened, so the
 * other views start light.
 */
function Lazy({ load }: { readonly load: () => Promise<() => JSX.Element> }) {
  const [view, setView] = useState<(() => JSX.Element) | undefined>(undefined)
  useEffect(() => {
    void load().then((loaded) => setView(() => loaded))
  }, [load])
  const View = view
  return View === undefined ? <Loading what="the view" /> : <View />
}

const loadReports = () => import('./reports-view').then((module) => module.ReportsView)
const loadRevops = () => import('./revops-view').then((module) => module.RevopsView)
const loadLeadership = () => import('./leadership-view').then((module) => module.LeadershipView)

type ViewName = 'rep' | 'manager' | 'revops' | 'leadership' | 'reports'

const VIEW_TITLES: Readonly<Record<ViewName, string>> = {
  rep: 'My leads',
  manager: 'My team',
  revops: 'Operations',
  leadership: 'Pipeline',
  reports: 'Compliance & funnel',
}

/** What each role may open, first the one it lands on (the API enforces it anyway). */
const VIEWS_OF: Readonly<Record<Role, readonly ViewName[]>> = {
  rep: ['rep'],
  manager: ['manager', 'rep'],
  revops: ['revops', 'manager', 'leadership', 'reports'],
  leadership: ['leadership', 'reports'],
  admin: ['revops', 'manager', 'leadership', 'reports'],
  integration: [],
}

function useHash(): string {
  const [hash, setHash] = useState(location.hash)
  useEffect(() => {
    const changed = () => setHash(location.hash)
    addEventListener('hashchange', changed)
    return () => removeEventListener('hashchange', changed)
  }, [])
  return hash
}

function SignIn({ onSignedIn }: { readonly onSignedIn: (principal: Principal) => void }) {
  const [token, setToken] = useState('')
  const [personId, setPersonId] = useState('')
  const [message, setMessage] = useState<string | undefined>(undefined)
  const submit = async (event: Event) => {
    event.preventDefault()
    try {
      const principal = await api.post<Principal>('/auth/session', {
        token,
        ...(personId === '' ? {} : { personId }),
      })
      onSignedIn(principal)
    } catch (failure) {
      setMessage(failure instanceof ApiError ? failure.message : String(failure))
    }
  }
  return (
    <main class="sign-in">
      <h1>Leadclock</h1>
      <form onSubmit={(event) => void submit(event)} aria-label="Sign in">
        <label>
          API token
          <input
            type="password"
            autoComplete="off"
            required
            value={token}
            onInput={(event) => setToken(event.currentTarget.value)}
          />
        </label>
        <label>
          Person id (optional)
          <input value={personId} onInput={(event) => setPersonId(event.currentTarget.value)} />
        </label>
        <button type="submit">Sign in</button>
        <Failure message={message} />
      </form>
      <p>
        A token comes from <code>leadclock token create --role ROLE --person ID</code>; the session
        lasts 12 hours at most.
      </p>
    </main>
  )
}

export function App() {
  const [principal, setPrincipal] = useState<Principal | null | undefined>(undefined)
  const hash = useHash()
  useEffect(() => {
    api.get<Principal>('/auth/session').then(setPrincipal, () => setPrincipal(null))
  }, [])
  if (principal === undefined) {
    return <Loading what="the session" />
  }
  if (principal === null) {
    return <SignIn onSignedIn={setPrincipal} />
  }
  const views = VIEWS_OF[principal.role]
  const leadId = /^#\/leads\/(.+)$/.exec(hash)?.[1]
  const asked = /^#\/(\w+)$/.exec(hash)?.[1] as ViewName | undefined
  const view = asked !== undefined && views.includes(asked) ? asked : views[0]
  const signOut = async () => {
    await api.delete('/auth/session')
    setPrincipal(null)
  }
  return (
    <>
      <header>
        <nav aria-label="Views">
          <span class="brand">Leadclock</span>
          {views.map((name) => (
            <a
              key={name}
              href={`#/${name}`}
              aria-current={leadId === undefined && name === view ? 'page' : undefined}
            >
              {VIEW_TITLES[name]}
            </a>
          ))}
        </nav>
        <span class="who">
          {principal.personId ?? 'no person'} ({principal.role}){' '}
          <button type="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </span>
      </header>
      <main>
        {leadId !== undefined ? (
          <LeadPage leadId={decodeURIComponent(leadId)} principal={principal} />
        ) : view === 'rep' ? (
          <RepView />
        ) : view === 'manager' ? (
          <ManagerView />
        ) : view === 'reports' ? (
          <Lazy key="reports" load={loadReports} />
        ) : view === 'revops' ? (
          <Lazy key="revops" load={loadRevops} />
        ) : view === 'leadership' ? (
          <Lazy key="leadership" load={loadLeadership} />
        ) : (
          <p>This token’s role ({principal.role}) has no dashboard view.</p>
        )}
      </main>
    </>
  )
}
