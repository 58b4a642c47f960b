'use server';
export async function save(prev, form) { return { ok: true, name: form.get('name') }; }
