// src/screens/RefillsScreen.tsx: Harbor Pharmacy patient app (Expo, React Native). Lists the signed-in
// patient's prescriptions, lets them request a refill and choose the pickup store. The store choice is
// saved on the phone (AsyncStorage); refill status is re-polled from our API while the screen is focused.
import React, { useCallback, useEffect, useState } from 'react';
import { Alert, FlatList, Pressable, RefreshControl, Text, View } from 'react-native';
import AsyncStorage from '@react-native-async-storage/async-storage';
import { useFocusEffect } from '@react-navigation/native';
import { useAuth } from '../auth/AuthContext';
import { StorePicker, type Store } from '../components/StorePicker';

type Rx = { id: string; drug: string; strength: string; refillsLeft: number; status: 'active' | 'refill_requested' | 'ready' };
const API = process.env.EXPO_PUBLIC_API_URL;
const STORE_KEY = 'harbor.pickupStoreId';

export default function RefillsScreen() {
  const { accessToken } = useAuth();
  const [items, setItems] = useState<Rx[]>([]);
  const [stores, setStores] = useState<Store[]>([]);
  const [storeId, setStoreId] = useState<string | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const headers = { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' };

  const load = useCallback(async () => {
    const res = await fetch(`${API}/v1/prescriptions`, { headers });
    if (res.ok) setItems((await res.json()).prescriptions);
  }, [accessToken]);

  useEffect(() => {
    AsyncStorage.getItem(STORE_KEY).then(setStoreId);
    fetch(`${API}/v1/stores?services=pickup`, { headers })
      .then((r) => r.json())
      .then((body) => setStores(body.stores));
  }, []);

  useFocusEffect(useCallback(() => {
    load();
    const timer = setInterval(load, 30_000);
    return () => clearInterval(timer);
  }, [load]));

  async function chooseStore(id: string) {
    setStoreId(id);
    await AsyncStorage.setItem(STORE_KEY, id);
  }

  async function requestRefill(rx: Rx) {
    if (!storeId) return Alert.alert('Pick a store first', 'Choose where you will collect your refill.');
    const res = await fetch(`${API}/v1/prescriptions/${rx.id}/refills`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ storeId }),
    });
    if (res.status === 409) return Alert.alert('Already requested', `${rx.drug} is already being refilled.`);
    if (!res.ok) return Alert.alert('Something went wrong', 'Please try again or call your pharmacist.');
    Alert.alert('Refill requested', "We'll send a notification when it is ready to collect.");
    load();
  }

  return (
    <View style={{ flex: 1 }}>
      <StorePicker stores={stores} selectedId={storeId} onSelect={chooseStore} />
      <FlatList
        data={items}
        keyExtractor={(rx) => rx.id}
        refreshControl={<RefreshControl refreshing={refreshing} onRefresh={async () => { setRefreshing(true); await load(); setRefreshing(false); }} />}
        renderItem={({ item }) => (
          <View style={{ padding: 16, borderBottomWidth: 1, borderColor: '#eee' }}>
            <Text style={{ fontWeight: '600' }}>{item.drug} {item.strength}</Text>
            <Text>{item.refillsLeft} refills left · {item.status.replace('_', ' ')}</Text>
            {item.status === 'active' && item.refillsLeft > 0 && (
              <Pressable onPress={() => requestRefill(item)} accessibilityRole="button">
                <Text style={{ color: '#0a7', marginTop: 8 }}>Request refill</Text>
              </Pressable>
            )}
          </View>
        )}
      />
    </View>
  );
}
