/**
 * `grif users add|list|remove`: the people who sign in to the HTTP intake with a token of their
 * own (DIR/users.json, src/http/users.ts). A review decision made with such a token is recorded in
 * the register under its holder's name. The running service sees a change at its next request.
 */
import { Option, type Command } from 'commander';
import { addUser, loadUsers, removeUser, usersFileOf } from '../http/users.js';
import { dirOption } from './settings.js';
import { ROLES, type Role } from '../http/roles.js';


interface DirFlags {
  dir: string;
}

const withDir = (cmd: Command): Command =>
  cmd.addOption(dirOption('the data directory of the service (its users are in DIR/users.json)'));

export function addUsersCommands(program: Command): void {
  const users = program
    .command('users')
    .description("the people who sign in to the HTTP intake with a token of their own; their review decisions are recorded under their name");

  withDir(users.command('add').argument('<NAME>', 'the name the register records with their decisions'))
    .description('add a user and print their new token, once (only its SHA-256 is kept)')
    .addOption(
      new Option('--role <ROLE>', 'clerk: uploads and follows carriers; reviewer: also decides reviews; admin: also retries, metrics, the queue dashboard')
        .choices([...ROLES])
        .default('clerk'),
    )
    .action(async (name: string, f: DirFlags & { role: Role }) => {
      const file = usersFileOf(f.dir);
      const { user, token } = await addUser(file, name, f.role);
      // The token alone on stdout (TOKEN=$(grif users add …)); the words on stderr.
      process.stderr.write(`grif: added ${user.name} (${user.role}) to ${file}. Their token (shown this once; hand it to them, it signs in as them):\n\n`);
      process.stdout.write(`${token}\n`);
      process.stderr.write('\n');
    });

  withDir(users.command('list'))
    .description('list the users: name, role and when added (tokens are not kept, so none is shown)')
    .option('--json', 'as JSON: [{ "name", "role", "created" }]')
    .action(async (f: DirFlags & { json?: boolean }) => {
      const list = await loadUsers(usersFileOf(f.dir));
      if (f.json) {
        process.stdout.write(JSON.stringify(list.map((u) => ({ name: u.name, role: u.role, created: u.created }))) + '\n');
        return;
      }
      if (list.length === 0) {
        process.stderr.write(`grif: no users in ${usersFileOf(f.dir)} (only the service's token signs in); add one with grif users add NAME\n`);
        return;
      }
      for (const u of list) process.stdout.write(`${u.created.slice(0, 16).replace('T', ' ')}  ${u.role.padEnd(8)}  ${u.name}\n`);
    });

  withDir(users.command('remove').argument('<NAME>', 'the user (case does not matter)'))
    .description('remove a user: their token stops working at the next request')
    .action(async (name: string, f: DirFlags) => {
      const file = usersFileOf(f.dir);
      const gone = await removeUser(file, name);
      process.stderr.write(`grif: removed ${gone.name} from ${file}; their token no longer signs in\n`);
    });
}
